import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BearerAuthGuard } from '@gatehouse/resource-server/nest';
import { ProblemDetailsFilter } from './problem-details.filter.js';

/** Every admin resource: its route, bearer authentication, problem details, and its OpenAPI tag. */
export function AdminResource(path: string, tag: string): ClassDecorator {
  return applyDecorators(Controller(path), UseGuards(BearerAuthGuard), UseFilters(ProblemDetailsFilter), ApiTags(tag), ApiBearerAuth());
}
