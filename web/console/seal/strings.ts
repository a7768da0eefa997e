// Console strings of the seals pages, each as [Chinese, English] (namespace console.seal).
import type { BilingualTree } from '../../shared/i18n';

export const sealStrings = {
  title: ['', ''],
} satisfies BilingualTree;
