/** Response bodies of the loopback GitHub API, typed by GitHub's own OpenAPI description. */
import type { components } from '@octokit/openapi-types';

export type FullRepository = components['schemas']['full-repository'];
export type MinimalRepository = components['schemas']['minimal-repository'];
export type SearchResult = components['schemas']['repo-search-result-item'];
export type SimpleUser = components['schemas']['simple-user'];

/** A repository as a test describes it; everything else gets GitHub's usual values. */
export type FakeRepo = {
  owner: string;
  name: string;
  description?: string | null;
  topics?: string[];
  license?: string | null;
  stars?: number;
  defaultBranch?: string;
  pushedAt?: string | null;
  archived?: boolean;
  fork?: boolean;
  /** 0 with pushedAt null: an empty repository. */
  size?: number;
  ownerType?: 'Organization' | 'User';
};

function hashId(text: string): number {
  let h = 7;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 2_000_000_000;
  return h;
}

export function simpleUser(login: string, type: 'Organization' | 'User'): SimpleUser {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id: hashId(login),
    node_id: `U_${hashId(login)}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${hashId(login)}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  };
}

const LICENSE_NAMES: Record<string, string> = { MIT: 'MIT License', 'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License', 'Apache-2.0': 'Apache License 2.0' };

export function fullRepository(repo: FakeRepo): FullRepository {
  const fullName = `${repo.owner}/${repo.name}`;
  const api = `https://api.github.com/repos/${fullName}`;
  const html = `https://github.com/${fullName}`;
  const pushedAt = repo.pushedAt === undefined ? '2025-01-01T00:00:00Z' : repo.pushedAt;
  const license = repo.license
    ? { key: repo.license.toLowerCase(), name: LICENSE_NAMES[repo.license] ?? repo.license, spdx_id: repo.license, url: `https://api.github.com/licenses/${repo.license.toLowerCase()}`, node_id: `L_${repo.license}` }
    : null;
  return {
    id: hashId(fullName),
    node_id: `R_${hashId(fullName)}`,
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(repo.owner, repo.ownerType ?? 'Organization'),
    private: false,
    html_url: html,
    description: repo.description ?? null,
    fork: repo.fork ?? false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: 'Jupyter Notebook',
    forks_count: 0,
    stargazers_count: repo.stars ?? 0,
    watchers_count: repo.stars ?? 0,
    size: repo.size ?? 100,
    default_branch: repo.defaultBranch ?? 'main',
    open_issues_count: 0,
    topics: repo.topics ?? [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: repo.archived ?? false,
    disabled: false,
    visibility: 'public',
    pushed_at: pushedAt ?? '',
    created_at: '2020-01-01T00:00:00Z',
    updated_at: pushedAt ?? '2020-01-01T00:00:00Z',
    subscribers_count: 1,
    network_count: 0,
    license,
    forks: 0,
    open_issues: 0,
    watchers: repo.stars ?? 0,
  };
}

/** What GET /orgs/{org}/repos lists: the minimal shape. */
export function minimalRepository(repo: FakeRepo): MinimalRepository {
  const { subscribers_count: _s, network_count: _n, temp_clone_token: _t, license, ...rest } = fullRepository(repo);
  return { ...rest, license: license ? { key: license.key, name: license.name, spdx_id: license.spdx_id ?? undefined, url: license.url, node_id: license.node_id } : null };
}

export function searchResult(repo: FakeRepo): SearchResult {
  const { subscribers_count: _s, network_count: _n, temp_clone_token: _t, ...rest } = fullRepository(repo);
  return { ...rest, id: hashId(rest.full_name), has_downloads: false, score: 1 };
}
