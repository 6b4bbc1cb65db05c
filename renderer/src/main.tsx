import { createDOMRenderer, RendererProvider } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../shared/contract/client';
import { App } from './app-root';
import { ClientContext } from './app/client-context';
import { connectBridge } from './bridge';
import { initI18n } from './i18n';

async function boot() {
  await initI18n();
  const client = createClient(connectBridge());
  const container = document.getElementById('root');
  if (container === null) {
    throw new Error('#root missing');
  }
  // The host's CSP admits only <style> elements carrying this response's nonce (see electron/app/csp.ts).
  const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
  const renderer = createDOMRenderer(document, { styleElementAttributes: { nonce } });
  createRoot(container).render(
    <StrictMode>
      <RendererProvider renderer={renderer} targetDocument={document}>
        <ClientContext.Provider value={client}>
          <App />
        </ClientContext.Provider>
      </RendererProvider>
    </StrictMode>,
  );
}

void boot();
