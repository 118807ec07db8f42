import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'instances' })
export class InstanceEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'account_id' })
  accountId!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'evolution_instance_name' })
  evolutionInstanceName!: string;

  @Column('text', { name: 'evolution_token', nullable: true })
  evolutionToken!: string | null;

  @Column('text', { name: 'connection_state' })
  connectionState!: string;

  @Column('timestamptz', { name: 'connection_state_at', nullable: true })
  connectionStateAt!: Date | null;

  @Column('char', { length: 2, nullable: true })
  country!: string | null;

  @Column('text')
  timezone!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
