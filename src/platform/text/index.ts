// The platform's rule for text that enters it (see text-rule.ts).
export { checkRowText, findTextProblems, isAcceptableText, shownText, textProblem, type RowTextProblem, type TextProblem, type TextScanOptions } from './text-rule';
