// Console strings of the trust pages, each as [Chinese, English] (namespace console.trust).
import type { BilingualTree } from '../../shared/i18n';

export const trustStrings = {
  title: ['', ''],
} satisfies BilingualTree;
