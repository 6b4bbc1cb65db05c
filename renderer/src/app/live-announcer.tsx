import { AnnounceProvider } from '@fluentui/react-components';
import type { AnnounceContextValue } from '@fluentui/react-components';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';

/** Messages kept in each region: enough for a burst (two bars at once), bounded. */
const KEPT = 6;

const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};

type Message = { id: number; text: string };

/**
 * The announcer every Fluent `MessageBar` (and `useAnnounce()`) speaks through: a polite `role="status"` region and
 * an assertive `role="alert"` one, both in the DOM from the start. Fluent's own `AriaLiveAnnouncer` is not used:
 * in Chromium (Electron, browser shell) it calls `document.ariaNotify`, which Linux screen readers do not receive
 * and which leaves nothing to test, and its DOM fallback is a single assertive region cleared after 500 ms.
 * Each message is a new node, so repeating the same text is announced again.
 */
export function LiveAnnouncer({ children }: { children: ReactNode }) {
  const [polite, setPolite] = useState<Message[]>([]);
  const [alerts, setAlerts] = useState<Message[]>([]);
  const next = useRef(0);
  const announce = useCallback<AnnounceContextValue['announce']>((message, options) => {
    const text = message.trim();
    if (text.length === 0) {
      return;
    }
    next.current += 1;
    const entry = { id: next.current, text };
    (options?.alert === true ? setAlerts : setPolite)((kept) => [...kept, entry].slice(-KEPT));
  }, []);
  const value = useMemo(() => ({ announce }), [announce]);
  return (
    <AnnounceProvider value={value}>
      {children}
      <div role="status" aria-live="polite" style={visuallyHidden} data-testid="live-polite">
        {polite.map((m) => (
          <span key={m.id}>{m.text} </span>
        ))}
      </div>
      <div role="alert" aria-live="assertive" style={visuallyHidden} data-testid="live-alert">
        {alerts.map((m) => (
          <span key={m.id}>{m.text} </span>
        ))}
      </div>
    </AnnounceProvider>
  );
}
