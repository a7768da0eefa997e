// Console strings of the citycode pages, each as [Chinese, English] (namespace console.code).
import type { BilingualTree } from '../../shared/i18n';

export const codeStrings = {
  title: ['', ''],
} satisfies BilingualTree;
