import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../components/theme.css';
import './popup.css';
import { Popup } from '../../components/Popup';

// Every module above is loaded and evaluated: the rest of "popup open → interactive" is React.
performance.mark('paperlight:scripts-loaded');
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Popup />
    </StrictMode>,
  );
}
