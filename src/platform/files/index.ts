// Streaming CSV/Excel import and export machinery, reusable by any module.
export { byteLimit, CONTENT_TYPES, csvField, exportStream, formatOfContentType, readRows, type Column, type ReadRow, type RowProblem, type TabularFormat } from './tabular';
