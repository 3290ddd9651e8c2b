import { ApiProperty } from '@nestjs/swagger';
import type { VerboseAttributeInfo } from '../../shop/catalog.js';

/** SHOP Server's verbose attribute info. null where SHOP's documentation does not say. */
export class VerboseAttributeInfoDto implements VerboseAttributeInfo {
  @ApiProperty({ example: 'max_vol' })
  attribute_name: string;

  @ApiProperty({
    example: 'double',
    description: 'int, double, string, int_array, double_array, string_array, xy, xy_array, txy, xyt, sy, or unknown',
  })
  legacy_datatype: string;

  @ApiProperty({ type: Boolean, nullable: true, example: true, description: 'null: not documented' })
  is_input: boolean | null;

  @ApiProperty({ type: Boolean, nullable: true, example: false, description: 'null: not documented' })
  is_output: boolean | null;

  @ApiProperty({ type: String, nullable: true, example: 'MM3' })
  x_unit: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'MM3' })
  y_unit: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'SHOP_OPEN', description: 'The SHOP licence it needs' })
  license_name: string | null;

  @ApiProperty({ example: 'reservoir.max_vol', description: '<object_type>.<attribute_name>' })
  full_name: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'get_max_vol',
    description: 'get_<attribute_name>; null while the datatype is unknown',
  })
  data_func_name: string | null;

  @ApiProperty({ example: 'Input of a reservoir: max vol (double, MM3).' })
  description: string;

  @ApiProperty({ example: 'https://docs.shop.sintef.energy/objects/reservoir/reservoir.html#max-vol' })
  documentation_url: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  example_url_prefix: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  example: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Where SHOP documents one' })
  default_value: string | null;

  @ApiProperty({ example: false, description: 'SHOP marks no attribute required' })
  required: boolean;
}
