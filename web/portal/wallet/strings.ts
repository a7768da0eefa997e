// Portal strings of the wallet pages, each as [Chinese, English] (namespace wallet).
import type { BilingualTree } from '../../shared/i18n';

export const WALLET_PORTAL = {
  title: ['', ''],
} satisfies BilingualTree;
