import { BrowserRouter } from 'react-router';
import { mountApp } from '../shared/mount';
import { portalStrings } from './strings';
import { App } from './App';
// All of the portal's styles load up front, in the cascade order they always had, although most
// pages are lazy chunks: a page's own CSS arriving later would reorder equal-specificity rules.
import './credit/credit.css';
import './code/code.css';
import './wallet/wallet.css';
import './seal/seal.css';
import './portal.css';
import './hall.css';

mountApp(
  portalStrings,
  <BrowserRouter>
    <App />
  </BrowserRouter>,
);
