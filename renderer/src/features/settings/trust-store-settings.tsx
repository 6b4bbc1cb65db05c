import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useId } from 'react';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CaTable, CrlTable, formatDay } from './trust-tables';
import { useTrustStore } from './use-trust-store';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    marginTop: tokens.spacingVerticalXXL,
    maxWidth: '110ch',
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  fileLabel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** The chosen file of an `<input type="file">`, and the input cleared so the same file can be chosen again. */
function takeFile(event: ChangeEvent<HTMLInputElement>): File | undefined {
  const file = event.target.files?.[0];
  event.target.value = '';
  return file;
}

/**
 * Paramètres › « Autorités de certification et révocation »: the CAs the desk trusts (known IGC-Santé fingerprints
 * or added by hand after a warning) and the CRLs kept for offline revocation checks.
 */
export function TrustStoreSettings() {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const { state, actions } = useTrustStore();
  const caInput = useId();
  const crlInput = useId();
  const pending = state.pending;
  return (
    <section className={styles.section} data-testid="trust-store" aria-labelledby="trust-store-title">
      <Text as="h2" id="trust-store-title" size={500} weight="semibold">
        {t('settings.trust.title')}
      </Text>
      <Text as="p">{t('settings.trust.intro')}</Text>
      <div aria-live="polite">
        {state.error !== null && (
          <NoticeBar intent="error" data-testid="trust-error" layout="multiline">
            <MessageBarBody>{t(state.error.messageKey, state.error.details ?? {})}</MessageBarBody>
          </NoticeBar>
        )}
        {state.notice !== null && (
          <NoticeBar intent="success" data-testid="trust-notice">
            <MessageBarBody>{t(state.notice.key, state.notice.values)}</MessageBarBody>
          </NoticeBar>
        )}
      </div>
      {pending !== null && (
        <MessageBar intent="warning" layout="multiline" data-testid="trust-confirm" role="alertdialog">
          <MessageBarBody>
            <MessageBarTitle>{t('settings.trust.confirmTitle')}</MessageBarTitle>
            {t('settings.trust.confirmText', { fileName: pending.fileName })}
            <ul>
              {pending.candidates
                .filter((c) => c.knownName === null && !c.isAlreadyTrusted)
                .map((c) => (
                  <li key={c.sha256}>
                    {c.name} — SHA-256 <code>{c.sha256}</code> ({formatDay(c.notAfter, i18n.language)})
                  </li>
                ))}
            </ul>
          </MessageBarBody>
          <MessageBarActions>
            <Button
              appearance="primary"
              disabled={state.busy}
              onClick={() => {
                void actions.confirmPending(pending);
              }}
            >
              {t('settings.trust.confirmAnyway')}
            </Button>
            <Button disabled={state.busy} onClick={actions.cancelPending}>
              {t('settings.trust.cancel')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}

      <Text as="h3" size={400} weight="semibold">
        {t('settings.trust.casTitle')}
      </Text>
      <CaTable
        cas={state.store?.cas ?? []}
        busy={state.busy}
        onRemove={(sha256) => {
          void actions.removeCa(sha256);
        }}
      />
      <div className={styles.actions}>
        <label htmlFor={caInput} className={styles.fileLabel}>
          <Text weight="semibold">{t('settings.trust.importCa')}</Text>
          <Text size={200}>{t('settings.trust.importCaHint')}</Text>
        </label>
        <input
          id={caInput}
          type="file"
          accept=".cer,.crt,.der,.pem,.p7b,.p7c"
          data-testid="trust-ca-file"
          disabled={state.busy}
          onChange={(event) => {
            const file = takeFile(event);
            if (file !== undefined) {
              void actions.importCas(file);
            }
          }}
        />
      </div>

      <Text as="h3" size={400} weight="semibold">
        {t('settings.trust.crlsTitle')}
      </Text>
      <CrlTable crls={state.store?.crls ?? []} />
      <div className={styles.actions}>
        <label htmlFor={crlInput} className={styles.fileLabel}>
          <Text weight="semibold">{t('settings.trust.importCrl')}</Text>
          <Text size={200}>{t('settings.trust.importCrlHint')}</Text>
        </label>
        <input
          id={crlInput}
          type="file"
          accept=".crl,.pem"
          data-testid="trust-crl-file"
          disabled={state.busy}
          onChange={(event) => {
            const file = takeFile(event);
            if (file !== undefined) {
              void actions.importCrl(file);
            }
          }}
        />
        <Button
          disabled={state.busy}
          data-testid="trust-update-crls"
          onClick={() => {
            void actions.updateCrls();
          }}
        >
          {t('settings.trust.updateCrls')}
        </Button>
      </div>
      {state.lastUpdate !== null && (
        <ul data-testid="trust-update-results">
          {state.lastUpdate.length === 0 && <li>{t('settings.trust.updateNothing')}</li>}
          {state.lastUpdate.map((line) => (
            <li key={line.sha256}>
              {line.name} :{' '}
              {line.ok
                ? t('settings.trust.updateOk', { date: formatDay(line.nextUpdate, i18n.language) })
                : t(line.error?.messageKey ?? 'errors.internal', line.error?.details ?? {})}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
