import { makeStyles, Text, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    marginBottom: tokens.spacingVerticalXL,
    maxWidth: '70ch',
  },
});

/** Page title (the `main` landmark's label) and a one-paragraph explanation in plain language. */
export function PageHeader(props: { title: string; intro: string }) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <Text as="h1" id="page-title" size={800} weight="semibold">
        {props.title}
      </Text>
      <Text as="p">{props.intro}</Text>
    </div>
  );
}
