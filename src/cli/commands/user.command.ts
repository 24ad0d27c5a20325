import type { Command } from 'commander';
import { KeleiError } from '../../core/errors.ts';
import { isRole, validatePassword } from '../../services/auth/auth.service.ts';
import { ROLES, type Role } from '../../services/auth/policy.ts';
import { addUser, generatePassword, listUsers, setUserPassword } from '../../services/auth/users.service.ts';
import { cliLang, t } from '../context.ts';
import { renderTable } from '../format.ts';
import { printLine } from '../terminal.ts';
import type { WithContext } from './classify.command.ts';

/** Who the audit log names for changes made at the command line. */
const CLI_ACTOR = 'cli';

function parseRole(value: string): Role {
  if (!isRole(value)) {
    throw new KeleiError('InvalidArgument', {
      en: `unknown role "${value}"; use one of ${ROLES.join(', ')}`,
      zh: `未知角色“${value}”，可选：${ROLES.join('、')}`,
    });
  }
  return value;
}

function passwordLine(password: string): string {
  return t(cliLang(), {
    zh: `密码：${password} （只显示这一次）`,
    en: `password: ${password} (shown only once)`,
  });
}

export function registerUser(program: Command, withContext: WithContext): void {
  const user = program.command('user').description('users and passwords / 用户与密码');

  user
    .command('add <username>')
    .description('create a user; without --password one is generated and printed once')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password <password>', 'at least 10 characters')
    .option('--display-name <name>', 'name shown in the app')
    .action(async (username: string, opts: { role: string; password?: string; displayName?: string }) => {
      // Checked before the database is opened: bad input writes nothing.
      const role = parseRole(opts.role);
      if (opts.password !== undefined) validatePassword(opts.password);
      const password = opts.password ?? generatePassword();
      await withContext(async (ctx) => {
        await addUser(ctx.handle.db, {
          username,
          password,
          role,
          displayName: opts.displayName,
          actor: CLI_ACTOR,
          now: ctx.now(),
        });
        printLine(
          t(ctx.lang, {
            zh: `已创建用户 ${username}（角色 ${role}）`,
            en: `created user ${username} (role ${role})`,
          }),
        );
        if (opts.password === undefined) printLine(passwordLine(password));
      });
    });

  user
    .command('passwd <username>')
    .description("set a user's password and end their sessions; without --password one is generated")
    .option('--password <password>', 'at least 10 characters')
    .action(async (username: string, opts: { password?: string }) => {
      if (opts.password !== undefined) validatePassword(opts.password);
      const password = opts.password ?? generatePassword();
      await withContext(async (ctx) => {
        await setUserPassword(ctx.handle.db, { username, password, actor: CLI_ACTOR, now: ctx.now() });
        printLine(t(ctx.lang, { zh: `已更新 ${username} 的密码`, en: `password of ${username} changed` }));
        if (opts.password === undefined) printLine(passwordLine(password));
      });
    });

  user
    .command('list')
    .description('list users')
    .action(async () =>
      withContext(async (ctx) => {
        const rows = (await listUsers(ctx.handle.db)).map((u) => [
          u.username,
          u.role,
          u.disabled ? t(ctx.lang, { zh: '是', en: 'yes' }) : t(ctx.lang, { zh: '否', en: 'no' }),
          `${u.createdAt.slice(0, 16).replace('T', ' ')} UTC`,
        ]);
        printLine(
          renderTable(
            [
              t(ctx.lang, { zh: '用户名', en: 'username' }),
              t(ctx.lang, { zh: '角色', en: 'role' }),
              t(ctx.lang, { zh: '已停用', en: 'disabled' }),
              t(ctx.lang, { zh: '创建时间', en: 'created' }),
            ],
            rows,
          ),
        );
      }),
    );
}
