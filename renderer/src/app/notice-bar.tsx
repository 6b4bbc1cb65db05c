import { MessageBar } from '@fluentui/react-components';
import type { MessageBarProps } from '@fluentui/react-components';

/**
 * A message bar without a `MessageBarTitle`. Fluent labels every bar by its title's id, which would name nothing
 * here (a dangling `aria-labelledby`). The bar itself is not a live region: when it appears, Fluent passes its text
 * to `useAnnounce()`, i.e. the app's `LiveAnnouncer` (app-root.tsx) — politely, except errors which are alerts
 * (Fluent alone would make every non-info bar, successes included, assertive).
 */
export function NoticeBar(props: MessageBarProps) {
  const politeness = props.politeness ?? (props.intent === 'error' ? 'assertive' : 'polite');
  return <MessageBar {...props} politeness={politeness} aria-labelledby={props['aria-labelledby']} />;
}
