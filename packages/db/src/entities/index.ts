import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { InstanceEntity } from './instance.entity';
import { MessageEventEntity } from './message-event.entity';
import { MessageEntity } from './message.entity';

export { AccountEntity, ApiKeyEntity, InstanceEntity, MessageEntity, MessageEventEntity };

export const ENTITIES = [AccountEntity, ApiKeyEntity, InstanceEntity, MessageEntity, MessageEventEntity];
