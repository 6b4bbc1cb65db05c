import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
  },
  row: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground3 },
  definition: { margin: 0 },
});

/** Label/value pairs as a description list: read as pairs by screen readers, aligned in two columns on screen. */
export function FactList(props: { facts: readonly (readonly [string, string])[] }) {
  const styles = useStyles();
  return (
    <dl className={styles.list}>
      {props.facts.map(([term, definition]) => (
        <div key={term} className={styles.row}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.definition}>{definition}</dd>
        </div>
      ))}
    </dl>
  );
}
