import type { Catalog } from './fr';

/** English catalog. */
export const en: Catalog = {
  app: {
    title: 'PSC Assistant',
    subtitle: 'Pro Santé Connect on Microsoft Entra ID',
    demoBanner: 'DEMO',
    demoExplanation: 'Demo mode: virtual reader and card, simulated Entra tenant. No real data.',
    skipToContent: 'Skip to main content',
    navigationLabel: 'Main navigation',
    language: 'Language',
    loading: 'Loading…',
    hostBrowser: 'Browser',
    hostElectron: 'Application',
  },
  nav: {
    desk: 'Desk',
    checklist: 'Checklist',
    reports: 'Reports',
    settings: 'Settings',
  },
  desk: {
    title: 'Desk',
    intro:
      "Insert a CPx card in a reader to read its authentication certificate and prepare its mapping to the practitioner's Entra account.",
  },
  checklist: {
    title: 'Checklist',
    intro:
      'Check everything Pro Santé Connect needs in your Entra tenant, each item with evidence, an explanation and a previewed fix.',
  },
  reports: {
    title: 'Reports',
    intro: 'Collect a tenant snapshot, re-evaluate it offline and export HTML, PDF, JSON or CSV reports.',
  },
  settings: {
    title: 'Settings',
    intro: 'Language, appearance and operating mode of the assistant.',
    language: 'Interface language',
    theme: 'Appearance',
    themeSystem: 'Follow the system',
    themeLight: 'Light',
    themeDark: 'Dark',
    mode: 'Mode',
    modeDemo: 'Demo (simulated reader and tenant)',
    modeLive: 'Live (readers and Microsoft Entra)',
    version: 'Version',
    saved: 'Settings saved',
  },
  languages: {
    fr: 'Français',
    en: 'English',
  },
  errors: {
    internal: 'An unexpected error occurred. It has been logged; please try again.',
    contract: {
      'unknown-channel': 'Unknown request: the application and its interface are not the same version.',
      'invalid-input': 'Request refused: invalid data.',
      'invalid-message': 'Message refused: invalid format.',
      disconnected: 'Lost the connection to the local service. Restart the assistant.',
    },
  },
};
