import { thumbnailRoute } from '../../../lib/media-route.js';

export const { getStaticPaths, GET } = thumbnailRoute('png');
