import { MessageBar } from '@fluentui/react-components';
import type { MessageBarProps } from '@fluentui/react-components';

/**
 * A message bar without a `MessageBarTitle`. Fluent labels every bar by its title's id, which would name nothing
 * here (a dangling `aria-labelledby`); the bar is a live region read by its content instead.
 */
export function NoticeBar(props: MessageBarProps) {
  return <MessageBar {...props} aria-labelledby={props['aria-labelledby']} />;
}
