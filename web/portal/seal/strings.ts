// Portal strings of the seal pages, each as [Chinese, English] (namespace seal).
import type { BilingualTree } from '../../shared/i18n';

export const SEAL_PORTAL = {
  title: ['', ''],
} satisfies BilingualTree;
