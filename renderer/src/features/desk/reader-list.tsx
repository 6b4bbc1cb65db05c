import { Badge, Button, Card, makeStyles, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CardsStatus } from '../../../../shared/contract/cards';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    listStyleType: 'none',
    padding: 0,
    margin: 0,
  },
  reader: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, padding: tokens.spacingHorizontalM },
  name: { flexGrow: 1 },
});

/** Live list of readers with the state of the card in each, and the PC/SC problem when there is one. */
export function ReaderList(props: {
  status: CardsStatus | null;
  readingReader: string | null;
  onRead: (reader: string) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const status = props.status;
  if (status === null) {
    return <Text>{t('desk.states.idle')}</Text>;
  }
  return (
    <section aria-labelledby="readers-title">
      <Text as="h2" id="readers-title" size={500} weight="semibold">
        {t('desk.readers')}
      </Text>
      {status.problem !== null && (
        <NoticeBar intent="error" data-testid="pcsc-problem">
          <MessageBarBody>
            <strong>{t(`desk.states.${status.state}`)}</strong> —{' '}
            {t(status.problem.messageKey, status.problem.details ?? {})}
          </MessageBarBody>
        </NoticeBar>
      )}
      {status.problem === null && status.readers.length === 0 && <Text as="p">{t('desk.noReader')}</Text>}
      <ul className={styles.list}>
        {status.readers.map((reader) => (
          <li key={reader.name}>
            <Card className={styles.reader} data-testid="reader">
              <Text className={styles.name} weight="semibold">
                {reader.name}
              </Text>
              {reader.reading || props.readingReader === reader.name ? (
                <Badge appearance="tint" color="brand">
                  {t('desk.readerReading')}
                </Badge>
              ) : reader.card === null ? (
                <Badge appearance="outline">{t('desk.readerEmpty')}</Badge>
              ) : (
                <Badge appearance="tint" color="success">
                  {t('desk.readerCard', { generation: reader.card.generation.toUpperCase() })}
                </Badge>
              )}
              <Button
                size="small"
                disabled={reader.card === null || reader.reading}
                onClick={() => {
                  props.onRead(reader.name);
                }}
              >
                {t('desk.readAgain')}
              </Button>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}
