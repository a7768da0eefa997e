import { BrowserRouter, Route, Routes } from 'react-router';
import { mountApp } from '../shared/mount';
import { screenStrings } from './strings';
import { ScreenApp } from './ScreenApp';
import './screen.css';

mountApp(
  screenStrings,
  <BrowserRouter basename="/screen">
    <Routes>
      <Route path="*" element={<ScreenApp />} />
    </Routes>
  </BrowserRouter>,
);
