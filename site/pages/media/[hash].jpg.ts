import { mediaRoute } from '../../lib/media-route.js';

export const { getStaticPaths, GET } = mediaRoute('jpg');
