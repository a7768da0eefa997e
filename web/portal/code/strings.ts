// Portal strings of the code pages, each as [Chinese, English] (namespace code).
import type { BilingualTree } from '../../shared/i18n';

export const CODE_PORTAL = {
  title: ['', ''],
} satisfies BilingualTree;
