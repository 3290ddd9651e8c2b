import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { type Run, RUN_STATES, type RunState } from '../runs.service.js';

export class RunDto implements Run {
  @ApiProperty({ example: 7 })
  run_id: number;

  @ApiProperty({ example: 3 })
  session_id: number;

  @ApiProperty({
    enum: RUN_STATES,
    description:
      'queued → running → done | failed | cancelled; queued while it waits for its account’s turn ' +
      '(TARN_MAX_RUNS_PER_ACCOUNT runs of one account at once) or, on the queue, for a worker',
  })
  status: RunState;

  @ApiProperty({ example: ['set code /full', 'start sim 3'], description: 'The commands of the upload, in order' })
  commands: string[];

  @ApiProperty({
    type: String,
    required: false,
    nullable: true,
    example: 'optimal',
    description: 'The last solve’s status',
  })
  solver_status: string | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: -1206905.53, description: 'grand_total' })
  objective: number | null;

  @ApiProperty({ type: Number, required: false, nullable: true, example: 8 })
  iterations: number | null;

  @ApiProperty({ type: String, required: false, nullable: true, description: 'Why it failed or was cancelled' })
  message: string | null;

  @ApiProperty({ example: 1, description: 'Times it was started: 2 after a retry (its first worker died)' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time' })
  created: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 1.02, description: 'From start to finish' })
  seconds: number | null;
}

export class PutModelQueryDto {
  @ApiProperty({
    required: false,
    default: true,
    description:
      'false: store the upload, answer 202 with the run of its commands at once, and run them in the ' +
      'background (GET /api/v1/session/runs/{id}, .../events). Default true: answer when the commands are done, ' +
      'as SHOP Server does.',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'wait must be true or false' })
  wait?: boolean;

  /** The session selection, read by SessionAccessGuard. */
  @IsOptional()
  @IsString()
  session_id?: string;
}

export class RunAcceptedDto {
  @ApiProperty({ example: 7 })
  run_id: number;

  @ApiProperty({ example: 'queued' })
  status: string;

  @ApiProperty({ example: '/api/v1/session/runs/7' })
  href: string;

  @ApiProperty({ example: '/api/v1/session/runs/7/events' })
  events: string;
}
