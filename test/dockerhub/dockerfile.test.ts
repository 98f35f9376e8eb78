import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../catalog/contract/index.js';
import { baseImagesOf } from '../../crawler/extract/dockerfile.js';
import { environmentOf } from '../../crawler/extract/environment.js';

const refs = (text: string) => baseImagesOf(text).images.map((image) => `${image.registry} ${image.name} ${image.tag ?? '-'} ${image.digest ?? '-'}`);

describe('Dockerfile FROM lines', () => {
  it('normalises references the way docker pull reads them', () => {
    expect(parseImageReference('python:3.11-slim')).toEqual({ registry: 'docker.io', name: 'library/python', tag: '3.11-slim', digest: null });
    expect(parseImageReference('quay.io/jupyter/scipy-notebook')).toEqual({ registry: 'quay.io', name: 'jupyter/scipy-notebook', tag: null, digest: null });
    expect(parseImageReference('localhost:5000/team/app:1')).toEqual({ registry: 'localhost:5000', name: 'team/app', tag: '1', digest: null });
    expect(parseImageReference(`index.docker.io/jupyter/base-notebook@sha256:${'a'.repeat(64)}`)).toEqual({
      registry: 'docker.io',
      name: 'jupyter/base-notebook',
      tag: null,
      digest: `sha256:${'a'.repeat(64)}`,
    });
    expect(parseImageReference('Not/Valid')).toBeNull();
  });

  it('substitutes global ARG defaults, skips --platform, stages and scratch', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=jupyter/scipy-notebook',
      'ARG TAG="2024-05-01"',
      'ARG UNSET',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'RUN go build ./...',
      'FROM ${BASE}:${TAG} as runtime',
      'ARG TAG=ignored-stage-arg',
      'FROM build AS again',
      'FROM scratch',
      'from ${UNSET:-ubuntu:22.04}',
      'FROM $UNSET',
      'FROM runtime',
    ].join('\n');
    const result = baseImagesOf(text);
    expect(refs(text)).toEqual(['docker.io library/golang 1.22 -', 'docker.io jupyter/scipy-notebook 2024-05-01 -', 'docker.io library/ubuntu 22.04 -']);
    expect(result.images[1]!.ref).toBe('jupyter/scipy-notebook:2024-05-01');
    expect(result.problems).toEqual(['FROM $UNSET: build argument UNSET has no default, so the base image is not known']);
  });

  it('joins continuation lines (and a backtick escape directive) and ignores comments', () => {
    expect(refs('FROM \\\n  # the base\n  jupyter/r-notebook:latest\nRUN echo')).toEqual(['docker.io jupyter/r-notebook latest -']);
    expect(refs('# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022')).toEqual(['mcr.microsoft.com windows/servercore ltsc2022 -']);
  });

  it('a Dockerfile environment carries its base images; problems become warnings', () => {
    const warnings: string[] = [];
    const environment = environmentOf('binder', new Map([['Dockerfile', 'ARG X\nFROM jupyter/datascience-notebook:2023-10-20\nFROM $X\n']]), (file, message) => warnings.push(`${file}: ${message}`));
    expect(environment?.kind).toBe('docker');
    expect(environment?.baseImages?.map((image) => image.ref)).toEqual(['jupyter/datascience-notebook:2023-10-20']);
    expect(warnings).toEqual(['binder/Dockerfile: FROM $X: build argument X has no default, so the base image is not known']);
  });
});

describe('extractRepository: a binder/Dockerfile', () => {
  it('gives the repository and its workflows the images the environment builds on', async () => {
    const { extractRepository } = await import('../../crawler/extract/index.js');
    const { json, md, memorySnapshot, nb4, PYTHON_METADATA } = await import('../extract/helpers.js');
    const snapshot = memorySnapshot({
      'analysis.ipynb': json(nb4([md('# Analysis')], PYTHON_METADATA)),
      'binder/Dockerfile': 'ARG BASE_TAG=2024-05-01\nFROM quay.io/jupyter/scipy-notebook:${BASE_TAG} AS base\nFROM base\nCOPY . ${HOME}\n',
      // repo2docker uses binder/ over the top level: this one is not the environment.
      'Dockerfile': 'FROM ubuntu:22.04\n',
    });
    const result = await extractRepository(snapshot);
    const expected = [{ ref: 'quay.io/jupyter/scipy-notebook:2024-05-01', registry: 'quay.io', name: 'jupyter/scipy-notebook', tag: '2024-05-01', digest: null }];
    expect(result.repository.environment).toMatchObject({ kind: 'docker', files: ['binder/Dockerfile'], baseImages: expected });
    expect(result.workflows[0]!.environment?.baseImages).toEqual(expected);
  });
});
