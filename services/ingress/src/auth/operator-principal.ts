import type { Principal } from '@telenexus/core';

/**
 * True for an admin key of the operator's own account (`OPERATOR_ACCOUNT_ID`): the operator runs
 * Evolution and the queues, so it may do what no customer account may. Unset: nobody is.
 */
export function isOperator(principal: Principal, operatorAccountId: string | undefined): boolean {
  return (
    operatorAccountId !== undefined &&
    principal.accountId === operatorAccountId &&
    principal.permissions.includes('admin')
  );
}
