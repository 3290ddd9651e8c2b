import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { attributesOf, verboseAttributeInfo } from '../../shop/catalog.js';
import { VerboseAttributeInfoDto } from './verbose-attribute-info.dto.js';

/** SHOP Server's ObjectTypeInfoSchema: an object type, the session's objects of it, its attributes. */
@ApiExtraModels(VerboseAttributeInfoDto)
export class ObjectTypeInfoDto {
  @ApiProperty({ example: 'reservoir' })
  object_type: string;

  @ApiProperty({
    type: String,
    isArray: true,
    example: ['Reservoir1'],
    description: "The session's objects of this type",
  })
  instances: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(VerboseAttributeInfoDto) }] },
    example: { max_vol: 'double', inflow: 'txy' },
    description:
      'Each attribute name → its datatype (`unknown` where not documented), or with verbose=true its full info',
  })
  attributes: Record<string, string | VerboseAttributeInfoDto>;
}

/** An object type's info: attribute name → datatype (`unknown` when not documented), or the full info. */
export function toObjectTypeInfo(objectType: string, instances: string[], verbose: boolean): ObjectTypeInfoDto {
  return {
    object_type: objectType,
    instances,
    attributes: Object.fromEntries(
      attributesOf(objectType).map((info) => [
        info.name,
        verbose ? verboseAttributeInfo(info) : (info.datatype ?? 'unknown'),
      ]),
    ),
  };
}
