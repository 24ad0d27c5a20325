import { App } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/** While `dirty`, leaving the page (another route, reload, closing the tab) asks first; tab switches do not. */
export function useLeaveGuard(dirty: boolean): void {
  const { t } = useTranslation('schemes');
  const { modal } = App.useApp();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  const current = useRef(blocker);
  current.current = blocker;
  // One question per blocked navigation, however often the page renders meanwhile.
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    modal.confirm({
      title: t('draft.leaveTitle'),
      content: t('draft.leaveBody'),
      okText: t('draft.leave'),
      onOk: () => current.current.proceed?.(),
      onCancel: () => current.current.reset?.(),
    });
  }, [blocker.state, modal, t]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
