import {
  Button,
  Checkbox,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Candidate } from '../../../../shared/contract/enrollment';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  grow: { flexGrow: 1, minWidth: '260px' },
});

/**
 * Graph is unreachable, so search and preview are impossible: the agent names the account by UPN (typed, or one of
 * the candidates last found) and queues the enrollment; the service plans it fully when the network is back.
 */
export function OfflineQueueForm(props: {
  candidates: readonly Candidate[];
  selectedUpn: string | null;
  isRenewal: boolean;
  busy: boolean;
  onRenewal: (isRenewal: boolean) => void;
  onQueue: (upn: string) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [upn, setUpn] = useState(props.selectedUpn ?? '');
  const valid = /^[^@\s]+@[^@\s]+$/.test(upn.trim());
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="enrollment-offline">
      <MessageBarBody>
        <MessageBarTitle>{t('enrollment.offline.title')}</MessageBarTitle>
        <div className={styles.root}>
          <Text>{t('enrollment.offline.explanation')}</Text>
          <form
            className={styles.row}
            onSubmit={(event) => {
              event.preventDefault();
              if (valid) {
                props.onQueue(upn);
              }
            }}
          >
            <Input
              className={styles.grow}
              aria-label={t('enrollment.offline.upn')}
              placeholder={t('enrollment.offline.upn')}
              list="enrollment-known-upns"
              value={upn}
              onChange={(_event, data) => {
                setUpn(data.value);
              }}
            />
            <datalist id="enrollment-known-upns">
              {props.candidates.map((candidate) => (
                <option key={candidate.id} value={candidate.userPrincipalName}>
                  {candidate.displayName ?? candidate.userPrincipalName}
                </option>
              ))}
            </datalist>
            <Button type="submit" appearance="primary" disabled={!valid} disabledFocusable={props.busy}>
              {t('enrollment.offline.queue')}
            </Button>
          </form>
          <Checkbox
            checked={props.isRenewal}
            label={t('enrollment.renewal')}
            onChange={(_event, data) => {
              props.onRenewal(data.checked === true);
            }}
          />
        </div>
      </MessageBarBody>
    </MessageBar>
  );
}
