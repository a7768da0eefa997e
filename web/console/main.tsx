import { BrowserRouter } from 'react-router';
import { ApiError } from '../shared/api';
import { mountApp } from '../shared/mount';
import { consoleStrings } from './strings';
import { ConsoleApp } from './App';
import './console.css';

mountApp(
  consoleStrings,
  <BrowserRouter basename="/console">
    <ConsoleApp />
  </BrowserRouter>,
  // Permission and not-found answers will not change on a retry.
  { retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2 },
);
