import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'message_events' })
export class MessageEventEntity {
  /** bigint arrives as a string so ids above 2^53 stay exact. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'message_id' })
  messageId!: string;

  @Column('text')
  type!: string;

  @Column('text', { nullable: true })
  status!: string | null;

  @Column('text', { nullable: true })
  detail!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
