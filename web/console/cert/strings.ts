// Console strings of the certificates pages, each as [Chinese, English] (namespace console.cert).
import type { BilingualTree } from '../../shared/i18n';

export const certStrings = {
  title: ['', ''],
} satisfies BilingualTree;
