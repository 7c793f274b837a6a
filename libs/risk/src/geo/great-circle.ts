/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

export interface LatLong {
  readonly latitude: number;
  readonly longitude: number;
}

/** Great-circle distance in km by the haversine formula (spherical Earth; within 0.5% of the ellipsoid). */
export function greatCircleKm(from: LatLong, to: LatLong): number {
  const phi1 = radians(from.latitude);
  const phi2 = radians(to.latitude);
  const dPhi = phi2 - phi1;
  const dLambda = radians(to.longitude - from.longitude);
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) ** 2;
  // min() guards rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function radians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}
