import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { initAuth } from './auth';
import { preloadFirstPage, router } from './router';
import { useSession } from './stores/session';
import './styles.css';

/**
 * The runtime config (/config.json) and the session come first: the router's guard needs both.
 * The first page's code loads meanwhile.
 */
async function start() {
  const app = createApp(App).use(createPinia());
  preloadFirstPage(window.location.pathname, useSession().signedIn);
  try {
    await initAuth();
  } catch (error) {
    console.error(error);
    const root = document.getElementById('app');
    if (root)
      root.innerHTML =
        '<main style="padding:48px;font-size:16px"><h1>无法启动控制台</h1><p>未能读取控制台配置（config.json），请稍后刷新页面或联系系统管理员。</p></main>';
    return;
  }
  app.use(router).mount('#app');
}

void start();
