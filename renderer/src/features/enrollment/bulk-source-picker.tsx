import { Button, Field, Input, makeStyles, Radio, RadioGroup, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkSource } from '../../../../shared/contract/bulk';
import { decodeCsvBytes } from '../../../../shared/enrollment/csv';

const useStyles = makeStyles({
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
});

type Kind = BulkSource['kind'];

/**
 * Where the bulk rows come from: a CSV picked in the page (read here; relative certificate paths need the folder
 * they are relative to), a CSV path or a folder of certificates read by the app. Picking a CSV checks it at once.
 */
export function BulkSourcePicker(props: { isBusy: boolean; onSource: (source: BulkSource) => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [kind, setKind] = useState<Kind>('csv-text');
  const [path, setPath] = useState('');
  const [baseDir, setBaseDir] = useState('');
  const [picked, setPicked] = useState<{ name: string; text: string } | null>(null);

  const csvSource = (file: { name: string; text: string }): BulkSource => ({
    kind: 'csv-text',
    csvText: file.text,
    fileName: file.name,
    baseDir: baseDir.trim() === '' ? null : baseDir.trim(),
  });

  const check = () => {
    if (kind === 'csv-text') {
      if (picked !== null) {
        props.onSource(csvSource(picked));
      }
    } else if (path.trim() !== '') {
      props.onSource({ kind, path: path.trim() });
    }
  };

  return (
    <div className={styles.column}>
      <Field label={t('bulk.sourceLabel')}>
        <RadioGroup
          layout="horizontal"
          value={kind}
          onChange={(_event, data) => {
            setKind(data.value as Kind);
          }}
        >
          <Radio value="csv-text" label={t('bulk.sourceCsvText')} />
          <Radio value="csv-file" label={t('bulk.sourceCsvFile')} />
          <Radio value="folder" label={t('bulk.sourceFolder')} />
        </RadioGroup>
      </Field>
      {kind === 'csv-text' ? (
        <div className={styles.row}>
          <label>
            {t('bulk.chooseFile')}{' '}
            <input
              type="file"
              accept=".csv,text/csv"
              data-testid="bulk-file"
              disabled={props.isBusy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file === undefined) {
                  return;
                }
                // Bytes, not file.text(): a French Excel CSV is Windows-1252 and UTF-8 would garble its accents.
                void file.arrayBuffer().then((buffer) => {
                  const next = { name: file.name, text: decodeCsvBytes(new Uint8Array(buffer)).text };
                  setPicked(next);
                  props.onSource(csvSource(next));
                });
              }}
            />
          </label>
          <Field label={t('bulk.baseDir')}>
            <Input
              value={baseDir}
              data-testid="bulk-base-dir"
              onChange={(_event, data) => {
                setBaseDir(data.value);
              }}
            />
          </Field>
        </div>
      ) : (
        <Field label={t('bulk.pathLabel')}>
          <Input
            value={path}
            data-testid="bulk-path"
            onChange={(_event, data) => {
              setPath(data.value);
            }}
          />
        </Field>
      )}
      <div className={styles.row}>
        {/* Focusable while busy: a disabled button would drop keyboard focus to <body>. */}
        <Button disabledFocusable={props.isBusy} onClick={check} data-testid="bulk-check">
          {t('bulk.runPreview')}
        </Button>
      </div>
    </div>
  );
}
