/** A customer of ours: an ISP or other biller. Everything else belongs to exactly one account. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}
