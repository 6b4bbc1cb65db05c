import {
  Badge,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Spinner,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';
import { languageSchema } from '../../../shared/contract/schemas';
import type { AppInfo, Settings } from '../../../shared/contract/schemas';
import { AccountChip } from '../features/account/account-chip';
import { AuthChallengeGate } from '../features/account/auth-challenge-gate';
import { useAccount } from '../features/account/use-account';
import type { AccountStore } from '../features/account/use-account';
import { areaFromHash, areas, hashForArea } from './routes';
import type { Area } from './routes';

const pages: Record<Area, LazyExoticComponent<ComponentType<PageProps>>> = {
  desk: lazy(() => import('../features/desk/desk-page').then((m) => ({ default: m.DeskPage }))),
  checklist: lazy(() => import('../features/checklist/checklist-page').then((m) => ({ default: m.ChecklistPage }))),
  reports: lazy(() => import('../features/reports/reports-page').then((m) => ({ default: m.ReportsPage }))),
  settings: lazy(() => import('../features/settings/settings-page').then((m) => ({ default: m.SettingsPage }))),
};

/** Props every area page receives from the shell. */
export type PageProps = {
  account: AccountStore;
  info: AppInfo;
  settings: Settings;
  onSettingsChange: (patch: Partial<Settings>) => Promise<void>;
};

/** Below this width the navigation moves above the page and its tabs run in a wrapping row (WCAG 1.4.10 reflow). */
const narrowQuery = '(max-width: 719.98px)';

function subscribeNarrow(onChange: () => void): () => void {
  const media = window.matchMedia(narrowQuery);
  media.addEventListener('change', onChange);
  return () => {
    media.removeEventListener('change', onChange);
  };
}

/** The id of the panel all area tabs control, and of each tab (the panel's label). */
const areaPanelId = 'area-panel';
const tabId = (area: Area) => `area-tab-${area}`;

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateRows: 'auto auto 1fr',
    // One column no wider than the viewport, whatever the min-content width of the header or the demo bar.
    gridTemplateColumns: 'minmax(0, 1fr)',
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  titles: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: '12em' },
  // minmax(0, 1fr): a wide table or a long word inside the page must not widen the column past the viewport.
  body: {
    display: 'grid',
    gridTemplateColumns: '220px minmax(0, 1fr)',
    minHeight: 0,
    [`@media ${narrowQuery}`]: { gridTemplateColumns: 'minmax(0, 1fr)', gridTemplateRows: 'auto 1fr' },
  },
  nav: {
    padding: tokens.spacingVerticalM,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    [`@media ${narrowQuery}`]: {
      padding: tokens.spacingVerticalXS,
      borderRight: 'none',
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    },
  },
  tabsRow: { flexWrap: 'wrap' },
  main: {
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalXXL}`,
    outline: 'none',
    overflow: 'auto',
    minWidth: 0,
    [`@media ${narrowQuery}`]: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalM}` },
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': {
      left: tokens.spacingHorizontalM,
      top: tokens.spacingVerticalM,
      zIndex: 10,
      padding: tokens.spacingHorizontalS,
      backgroundColor: tokens.colorNeutralBackground1,
    },
  },
  language: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/**
 * Application frame: banner, demo notice, navigation between the four areas, and the active page.
 */
export function AppShell(shellProps: Omit<PageProps, 'account'>) {
  const account = useAccount();
  const props: PageProps = { ...shellProps, account };
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const languageId = useId();
  const [area, setArea] = useState<Area>(() => areaFromHash(window.location.hash));
  const narrow = useSyncExternalStore(subscribeNarrow, () => window.matchMedia(narrowQuery).matches);

  useEffect(() => {
    const onHashChange = () => {
      setArea(areaFromHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      window.removeEventListener('hashchange', onHashChange);
    };
  }, []);

  useEffect(() => {
    if (i18n.language !== props.settings.language) {
      void i18n.changeLanguage(props.settings.language);
    }
    document.documentElement.lang = props.settings.language;
  }, [i18n, props.settings.language]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  const Page = pages[area];
  const isDemo = props.info.mode === 'demo';

  const shell = (
    <div className={styles.root}>
      <a
        className={styles.skip}
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skipToContent')}
      </a>
      <header className={styles.header}>
        <img src="./icon.svg" alt="" width={32} height={32} />
        <div className={styles.titles}>
          <Text as="span" weight="semibold" size={500}>
            {t('app.title')}
          </Text>
          <Text as="span" size={200}>
            {t('app.subtitle')}
          </Text>
        </div>
        {isDemo && (
          <Badge appearance="filled" color="warning" size="large" data-testid="demo-badge">
            {t('app.demoBanner')}
          </Badge>
        )}
        <AccountChip store={account} />
        <div className={styles.language}>
          <label htmlFor={languageId}>{t('app.language')}</label>
          <Select
            id={languageId}
            value={props.settings.language}
            onChange={(_event, data) => {
              void props.onSettingsChange({ language: languageSchema.parse(data.value) });
            }}
          >
            <option value="fr">{t('languages.fr')}</option>
            <option value="en">{t('languages.en')}</option>
          </Select>
        </div>
      </header>
      {isDemo ? (
        <MessageBar intent="warning" layout="multiline" role="status" data-testid="demo-banner">
          {/* The title names the bar: MessageBar points its aria-labelledby at it. */}
          <MessageBarBody>
            <MessageBarTitle>{t('app.demoBanner')}</MessageBarTitle> — {t('app.demoExplanation')}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <div />
      )}
      <div className={styles.body}>
        <nav className={styles.nav} aria-label={t('app.navigationLabel')}>
          <TabList
            vertical={!narrow}
            className={narrow ? styles.tabsRow : undefined}
            size={narrow ? 'medium' : 'large'}
            selectedValue={area}
            onTabSelect={(_event, data) => {
              window.location.hash = hashForArea(data.value as Area);
            }}
          >
            {areas.map((item) => (
              <Tab key={item} value={item} id={tabId(item)} aria-controls={areaPanelId} data-testid={`nav-${item}`}>
                {t(`nav.${item}`)}
              </Tab>
            ))}
          </TabList>
        </nav>
        <main id="main" className={styles.main} tabIndex={-1} aria-labelledby="page-title">
          {/* One panel for the four tabs, labelled by the selected one (ARIA tabs pattern). */}
          <div role="tabpanel" id={areaPanelId} aria-labelledby={tabId(area)}>
            <Suspense fallback={<Spinner label={t('app.loading')} />}>
              <Page {...props} />
            </Suspense>
          </div>
        </main>
      </div>
    </div>
  );
  // Consent and step-up prompts for any page's failed action.
  return <AuthChallengeGate>{shell}</AuthChallengeGate>;
}
