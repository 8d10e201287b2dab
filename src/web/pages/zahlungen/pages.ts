/** The payment-run pages, loaded together on demand (App.tsx). */
export { ZahlungslaeufePage } from './ZahlungslaeufePage.js';
export { ZahlungslaufPage } from './ZahlungslaufPage.js';
