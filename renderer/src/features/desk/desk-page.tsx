import {
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../app/app-shell';
import { PageHeader } from '../../app/page-header';
import { BulkPanel } from '../enrollment/bulk-panel';
import { EnrollmentPanel } from '../enrollment/enrollment-panel';
import { QueuePanel } from '../enrollment/queue-panel';
import { RemovalTools } from '../enrollment/removal-tools';
import { CardPanel } from './card-panel';
import { DemoCardControls } from './demo-card-controls';
import { ReaderList } from './reader-list';
import { useDesk } from './use-desk';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(260px, 340px) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    // Narrow windows and 200 % zoom: readers above the card panel, never a sideways scroll.
    '@media (max-width: 899.98px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  side: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  bulk: { marginTop: tokens.spacingVerticalXXL },
  live: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)' },
});

/** Guichet: readers on the side, the card in hand in the middle, every outcome announced to screen readers. */
export function DeskPage(props: PageProps) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { state, actions } = useDesk();
  const failure = state.failure;
  const account = props.account.state;
  // Writing to Entra (enrolling, removing, bulk) needs an active account signed in with « mode correction ».
  const canWrite = account !== null && account.active !== null && account.access === 'fix';
  return (
    <section data-testid="page-desk">
      <PageHeader title={t('desk.title')} intro={t('desk.intro')} />
      <div role="status" aria-live="polite" className={styles.live} data-testid="desk-announcement">
        {state.announcement === null
          ? ''
          : t(state.announcement.key, {
              ...state.announcement.values,
              reason:
                state.announcement.reason === undefined
                  ? ''
                  : t(state.announcement.reason.key, state.announcement.reason.values),
            })}
      </div>
      <div className={styles.layout}>
        <div className={styles.side}>
          <ReaderList
            status={state.status}
            readingReader={state.readingReader}
            onRead={(reader) => {
              void actions.read(reader);
            }}
          />
          <QueuePanel />
          <RemovalTools canWrite={canWrite} />
          {props.info.mode === 'demo' && (
            <DemoCardControls onInsert={actions.insertDemoCard} onRemove={actions.removeDemoCard} />
          )}
        </div>
        <div>
          {failure !== null && (
            <MessageBar intent="error" data-testid="read-failure" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{failure.reader}</MessageBarTitle>
                {t(failure.error.messageKey, failure.error.details ?? {})}
                {failure.willRetryOnReinsert && <Text block>{t('desk.retryOnReinsert')}</Text>}
              </MessageBarBody>
            </MessageBar>
          )}
          {state.readingReader !== null && <Spinner label={t('desk.reading', { reader: state.readingReader })} />}
          {state.report !== null && (
            <div className={styles.side}>
              <CardPanel report={state.report} />
              <EnrollmentPanel
                key={`${state.report.reader}|${state.report.mappings.find((m) => m.form === 'SKI')?.value ?? ''}`}
                source={{ kind: 'reader', reader: state.report.reader }}
                account={props.account.state}
              />
            </div>
          )}
          {state.report === null && failure === null && state.readingReader === null && (
            <Text as="p">{t('desk.waiting')}</Text>
          )}
        </div>
      </div>
      <div className={styles.bulk}>
        <BulkPanel canApply={canWrite} />
      </div>
    </section>
  );
}
