import {
  Badge,
  Button,
  makeStyles,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MappingValueView } from '../../../../shared/contract/cards';
import { NoticeBar } from '../../app/notice-bar';

const useStyles = makeStyles({
  value: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all', fontSize: tokens.fontSizeBase200 },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  formCell: { width: '190px' },
  actionCell: { width: '110px' },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)' },
});

/** The seven `certificateUserIds` values with advice badges and copy buttons. */
export function MappingTable(props: { mappings: readonly MappingValueView[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [copied, setCopied] = useState<string | null>(null);
  const [copyFailed, setCopyFailed] = useState<string | null>(null);

  const copy = async (mapping: MappingValueView) => {
    if (mapping.value === null) {
      return;
    }
    try {
      await navigator.clipboard.writeText(mapping.value);
      setCopied(mapping.form);
      setCopyFailed(null);
    } catch {
      // Clipboard access can be refused (permissions, unfocused window): the agent must not believe it worked.
      setCopied(null);
      setCopyFailed(mapping.form);
    }
  };

  return (
    <>
      {copyFailed !== null && (
        <NoticeBar intent="warning" role="alert" data-testid="copy-failed">
          <MessageBarBody>
            {copyFailed} — {t('desk.copyFailed')}
          </MessageBarBody>
        </NoticeBar>
      )}
      <Table aria-label={t('desk.mappings')} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.formCell}>{t('desk.binding')}</TableHeaderCell>
            <TableHeaderCell>certificateUserIds</TableHeaderCell>
            <TableHeaderCell className={styles.actionCell}>
              <span className={styles.hidden}>{t('desk.copy')}</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.mappings.map((mapping) => (
            <TableRow key={mapping.form} data-testid={`mapping-${mapping.form}`}>
              <TableCell>
                <Text weight="semibold">{mapping.form}</Text>
                <div className={styles.badges}>
                  {mapping.isRecommended && (
                    <Badge appearance="filled" color="success" size="small">
                      {t('desk.recommended')}
                    </Badge>
                  )}
                  {mapping.isRisky && (
                    <Badge appearance="tint" color="warning" size="small">
                      {t('desk.risky')}
                    </Badge>
                  )}
                  {mapping.isAmbiguous && (
                    <Badge appearance="tint" color="warning" size="small">
                      {t('desk.ambiguous')}
                    </Badge>
                  )}
                  <Badge appearance="outline" size="small">
                    {mapping.affinity === 'high' ? t('desk.affinityHigh') : t('desk.affinityLow')}
                  </Badge>
                </div>
              </TableCell>
              <TableCell>
                {mapping.value === null ? (
                  <Text italic>{t('desk.notApplicable')}</Text>
                ) : (
                  <code className={styles.value} data-testid="mapping-value">
                    {mapping.value}
                  </code>
                )}
              </TableCell>
              <TableCell>
                {mapping.value !== null && (
                  <Button
                    size="small"
                    aria-label={t('desk.copyLabel', { form: mapping.form })}
                    onClick={() => {
                      void copy(mapping);
                    }}
                  >
                    {copied === mapping.form ? t('desk.copied') : t('desk.copy')}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
