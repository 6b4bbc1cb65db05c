import { FluentProvider, Spinner, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { AppShell } from './app/app-shell';
import { LiveAnnouncer } from './app/live-announcer';
import { useIsDark } from './app/use-color-scheme';
import { useAppState } from './app/use-app-state';

/** Root: loads host info and settings, then renders the shell in the right theme, inside the live announcer. */
export function App() {
  const { t } = useTranslation();
  const { state, updateSettings } = useAppState();
  const isDark = useIsDark(state.status === 'ready' ? state.settings.theme : 'system');
  return (
    <FluentProvider theme={isDark ? webDarkTheme : webLightTheme} style={{ minHeight: '100vh' }}>
      <LiveAnnouncer>
        {state.status === 'loading' && <Spinner label={t('app.loading')} />}
        {state.status === 'failed' && <p role="alert">{t(state.messageKey)}</p>}
        {state.status === 'ready' && (
          <AppShell info={state.info} settings={state.settings} onSettingsChange={updateSettings} />
        )}
      </LiveAnnouncer>
    </FluentProvider>
  );
}
