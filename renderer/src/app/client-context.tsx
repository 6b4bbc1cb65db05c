import { createContext, useContext } from 'react';
import type { ContractClient } from '../../../shared/contract/client';

export const ClientContext = createContext<ContractClient | undefined>(undefined);

/** The typed contract client; components get data through feature hooks built on it. */
export function useClient(): ContractClient {
  const client = useContext(ClientContext);
  if (client === undefined) {
    throw new Error('ClientContext missing');
  }
  return client;
}
