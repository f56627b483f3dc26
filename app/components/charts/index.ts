// Server-rendered SVG charts with table fallbacks, RTL-correct. Shared by the MikroTik dashboard
// and the customer usage charts: import { BarChart, LineChart } from '~/components/charts'.
export { BarChart } from './bar-chart'
export { LineChart } from './line-chart'
export { ChartTable } from './chart-table'
export { ShareBars } from './share-bars'
export { niceMax, type ChartPoint } from './scale'
