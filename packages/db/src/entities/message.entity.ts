import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'account_id' })
  accountId!: string;

  @Column('uuid', { name: 'instance_id' })
  instanceId!: string;

  @Column('text')
  direction!: string;

  @Column('text', { name: 'phone_number' })
  phoneNumber!: string;

  @Column('text', { name: 'customer_name', nullable: true })
  customerName!: string | null;

  /** `numeric` comes back from pg as a string, which is what keeps money exact. */
  @Column('numeric', { precision: 19, scale: 4, nullable: true })
  amount!: string | null;

  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('text', { name: 'invoice_id', nullable: true })
  invoiceId!: string | null;

  @Column('date', { name: 'due_date', nullable: true })
  dueDate!: string | null;

  @Column('text', { name: 'message_type', nullable: true })
  messageType!: string | null;

  @Column('text', { nullable: true })
  body!: string | null;

  @Column('text')
  status!: string;

  @Column('integer')
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('text', { name: 'provider_message_id', nullable: true })
  providerMessageId!: string | null;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Column('timestamptz', { name: 'read_at', nullable: true })
  readAt!: Date | null;

  @Column('timestamptz', { name: 'failed_at', nullable: true })
  failedAt!: Date | null;
}
