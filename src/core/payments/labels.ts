/**
 * German labels of the payment runs (browser-safe: the web pages use them too). See
 * docs/PAYMENTS.md.
 */

export const RUN_STATUS_LABELS = {
  vorbereitet: 'Vorbereitet – Freigabe ausstehend',
  freigegeben: 'Freigegeben',
  verworfen: 'Verworfen',
} as const;
export type RunStatus = keyof typeof RUN_STATUS_LABELS;

export const PAYMENT_STATUS_LABELS = {
  vorgesehen: 'Im Lauf vorgesehen',
  freigegeben: 'Freigegeben',
  ausgezahlt: 'Bar ausgezahlt',
  zurueckgekommen: 'Zurückgekommen',
  erneut_vorgemerkt: 'Zurückgekommen, erneut vorgemerkt',
  verworfen: 'Lauf verworfen',
} as const;
export type PaymentStatus = keyof typeof PAYMENT_STATUS_LABELS;

/**
 * Reasons for returned transfers (R-transactions) as the bank reports them (ISO 20022 external
 * status reason codes used in the EPC SEPA Credit Transfer rulebook), with a German label.
 */
export const RETURN_REASONS = {
  AC01: 'IBAN fehlerhaft',
  AC04: 'Konto aufgelöst',
  AC06: 'Konto gesperrt',
  AG01: 'Überweisung auf dieses Konto nicht zulässig',
  AM05: 'Doppelte Zahlung',
  BE04: 'Anschrift des Empfängers fehlt oder ist falsch',
  MD07: 'Kontoinhaber verstorben',
  MS02: 'Vom Empfänger zurückgewiesen',
  MS03: 'Von der Bank zurückgewiesen (ohne Angabe)',
  RC01: 'BIC fehlerhaft',
  RR01: 'Regulatorische Gründe',
  FOCR: 'Rückruf auf Veranlassung des Auftraggebers',
  SONST: 'Sonstiger Grund (siehe Notiz)',
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

/** The state of a payment from its run's state and what happened to it afterwards. */
export function paymentStatusOf(
  runStatus: string,
  happened: { returned: boolean; requeued: boolean; paidInCash: boolean },
): PaymentStatus {
  if (runStatus === 'verworfen') return 'verworfen';
  if (runStatus === 'vorbereitet') return 'vorgesehen';
  if (happened.returned) return happened.requeued ? 'erneut_vorgemerkt' : 'zurueckgekommen';
  return happened.paidInCash ? 'ausgezahlt' : 'freigegeben';
}
