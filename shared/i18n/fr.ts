/**
 * French catalog: the reference language. Every other catalog must have exactly these keys.
 */
export const fr = {
  app: {
    title: 'Assistant PSC',
    subtitle: 'Pro Santé Connect sur Microsoft Entra ID',
    demoBanner: 'DÉMO',
    demoExplanation: 'Mode démonstration : lecteur et carte virtuels, locataire Entra simulé. Aucune donnée réelle.',
    skipToContent: 'Aller au contenu principal',
    navigationLabel: 'Navigation principale',
    language: 'Langue',
    loading: 'Chargement…',
    hostBrowser: 'Navigateur',
    hostElectron: 'Application',
  },
  nav: {
    desk: 'Guichet',
    checklist: 'Checklist',
    reports: 'Rapports',
    settings: 'Paramètres',
  },
  desk: {
    title: 'Guichet',
    intro:
      'Insérez une carte CPx dans un lecteur pour lire son certificat d’authentification et préparer son association au compte Entra du praticien.',
  },
  checklist: {
    title: 'Checklist',
    intro:
      'Vérifiez tout ce dont Pro Santé Connect a besoin dans votre locataire Entra, avec pour chaque point une preuve, une explication et une correction prévisualisée.',
  },
  reports: {
    title: 'Rapports',
    intro:
      'Collectez un instantané du locataire, réévaluez-le hors ligne et exportez des rapports HTML, PDF, JSON ou CSV.',
  },
  settings: {
    title: 'Paramètres',
    intro: 'Langue, apparence et mode de fonctionnement de l’assistant.',
    language: 'Langue de l’interface',
    theme: 'Apparence',
    themeSystem: 'Comme le système',
    themeLight: 'Claire',
    themeDark: 'Sombre',
    mode: 'Mode',
    modeDemo: 'Démonstration (lecteur et locataire simulés)',
    modeLive: 'Réel (lecteurs et Microsoft Entra)',
    version: 'Version',
    saved: 'Paramètres enregistrés',
  },
  languages: {
    fr: 'Français',
    en: 'English',
  },
  errors: {
    internal: 'Une erreur inattendue est survenue. Elle a été consignée ; réessayez.',
    contract: {
      'unknown-channel': 'Requête inconnue : l’application et son interface ne sont pas de la même version.',
      'invalid-input': 'Requête refusée : données invalides.',
      'invalid-message': 'Message refusé : format invalide.',
      disconnected: 'Connexion au service local perdue. Relancez l’assistant.',
    },
  },
} as const;

/** The shape every catalog shares: same keys, string leaves. */
export type Catalog = DeepStrings<typeof fr>;

type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
