/** How facility enums read on the site. */
import type { Access, FacilityType } from '../../catalog/contract/index.js';

export const FACILITY_TYPE_LABELS: Record<FacilityType, string> = {
  jupyterhub: 'JupyterHub',
  binderhub: 'BinderHub',
  other: 'Other platform',
};

export const ACCESS_LABELS: Record<Access, string> = {
  public: 'Public: anyone can start a session',
  institutional: 'Institutional: members of the operating institution',
  restricted: 'Restricted: by account or project approval',
};
