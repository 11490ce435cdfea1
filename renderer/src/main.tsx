import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// The stylesheets in this order: a later rule wins over an earlier one of the same weight.
import './styles/base.css';
import './styles/disks.css';
import './styles/forms.css';
import './styles/history.css';
import './styles/panels.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
