import { BrowserRouter } from 'react-router';
import { mountApp } from '../shared/mount';
import { portalStrings } from './strings';
import { App } from './App';
import './portal.css';
import './hall.css';

mountApp(
  portalStrings,
  <BrowserRouter>
    <App />
  </BrowserRouter>,
);
