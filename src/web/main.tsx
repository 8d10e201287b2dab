import './styles.css';
import { register } from '@public-ui/components';
import { defineCustomElements } from '@public-ui/components/loader';
import { DEFAULT } from '@public-ui/theme-default';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { interceptLinks } from './router.js';

const el = document.getElementById('root');
interceptLinks();
register(DEFAULT, defineCustomElements)
  .catch(() => {
    // Without the theme the components still work, only plainer.
  })
  .finally(() => {
    if (el)
      createRoot(el).render(
        <StrictMode>
          <App />
        </StrictMode>,
      );
  });
