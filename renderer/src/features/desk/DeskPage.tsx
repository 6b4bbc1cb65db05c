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
import type { PageProps } from '../../app/AppShell';
import { PageHeader } from '../../app/PageHeader';
import { BulkPanel } from '../enrollment/BulkPanel';
import { EnrollmentPanel } from '../enrollment/EnrollmentPanel';
import { QueuePanel } from '../enrollment/QueuePanel';
import { CardPanel } from './CardPanel';
import { DemoCardControls } from './DemoCardControls';
import { ReaderList } from './ReaderList';
import { useDesk } from './use-desk';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(260px, 340px) 1fr',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
  },
  side: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  live: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)' },
});

/** Guichet: readers on the side, the card in hand in the middle, every outcome announced to screen readers. */
export default function DeskPage(props: PageProps) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { state, actions } = useDesk();
  const failure = state.failure;
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
      <BulkPanel canApply={props.account.state?.active !== null && props.account.state?.access === 'fix'} />
    </section>
  );
}
