/**
 * Who links or reconfigures an instance. The operator runs Evolution: the CLI, or an admin key of the
 * operator's own account. It may link any free name without a token (calls then use Evolution's
 * global key) and re-link names other accounts deleted. Anyone else must prove the number with the
 * Evolution instance's own token. Each door says who is asking; provisioning reads no configuration.
 */
export interface InstanceActor {
  readonly operator: boolean;
}

/** The CLI, `npm start`'s demo, and the operator's admin keys. */
export const OPERATOR_ACTOR: InstanceActor = Object.freeze({ operator: true });

/** A customer account's admin key. */
export const TENANT_ACTOR: InstanceActor = Object.freeze({ operator: false });
